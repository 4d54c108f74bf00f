// Tests log users in (a real password hash each) and start apps; on a busy 2-core CI machine that takes longer than
// jest's 5 s default. Hooks that do more pass SETUP_TIMEOUT_MS (testGallery.ts) themselves. (`testTimeout` is a
// global jest option, ignored in a project's config, hence this file.)
jest.setTimeout(60_000);
