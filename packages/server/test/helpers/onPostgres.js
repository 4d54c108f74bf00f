/* Setup of the server-postgres jest project: every test gallery of this worker gets a PostgreSQL database. */
process.env.GALLERY_TEST_DATABASE = 'postgres';
