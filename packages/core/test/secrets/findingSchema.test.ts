import { Value } from '@sinclair/typebox/value';
import { scanNotebookSecrets, SecretFindingSchema, type ISecretFinding, type Static } from '../../src';
import { FAKE_CREDENTIALS } from './fakeCredentials';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Fails to compile when the API schema and the scanner's interface drift apart.
const sameShape: Same<Static<typeof SecretFindingSchema>, ISecretFinding> = true;

describe('SecretFindingSchema', () => {
  it("accepts every finding the scanner gives, so the server's 422 reply serialises them whole", () => {
    expect(sameShape).toBe(true);
    const source = FAKE_CREDENTIALS.map(fake => fake.line).join('\n');
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: 'code', id: 'c', source, metadata: {}, outputs: [], execution_count: null }]
    };
    const { findings } = scanNotebookSecrets(notebook);
    expect(findings.length).toBe(FAKE_CREDENTIALS.length);
    for (const finding of findings) {
      expect(Value.Check(SecretFindingSchema, finding)).toBe(true);
    }
  });
});
