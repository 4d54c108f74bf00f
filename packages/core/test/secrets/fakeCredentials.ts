/**
 * Realistic FAKE credentials, one or more per rule, built from parts so this repository's own text trips no
 * scanner (ours, GitHub's push protection, gitleaks). None of them was ever valid.
 */

/** One fake credential and the cell line that holds it. */
export interface IFakeCredential {
  rule: string;
  /** The secret as the scanner should see it (what the fingerprint is made of). */
  value: string;
  /** The line of code holding it. */
  line: string;
}

const join = (...parts: string[]): string => parts.join('');

/** `count` characters cycling through `alphabet`, so values are long and varied without being real. */
function filler(alphabet: string, count: number, shift = 0): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    text += alphabet[(i * 7 + shift) % alphabet.length];
  }
  return text;
}

const ALNUM = 'aB3cD4eF5gH6iJ7kL8mN9pQ2rS3tU4vW5xY6zA7';
const PEM_BODY = filler('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 64);

/** `prefix` then `value` between double quotes: the line and the value's 1-based column. */
function quoted(prefix: string, rule: string, value: string): IFakeCredential {
  return { rule, value, line: `${prefix}"${value}"` };
}

const awsKeyId = join('AK', 'IA', 'QZ7WXP2RL5N4TB3M');
const awsSecret = join('q8Zr/T1mV', 'x4Kp7Wn2Ld9Fs', '+Bh3Gj6Yc5Ue0Ao1Ri');
const githubPat = join('gh', 'p_', filler(ALNUM, 36));
const githubOauth = join('gh', 'o_', filler(ALNUM, 36, 3));
const githubApp = join('gh', 's_', filler(ALNUM, 36, 14));
const githubFine = join('github', '_pat_', '11AQZ7WXP0', filler(ALNUM, 22, 1), '_', filler(ALNUM, 49, 2));
const gitlab = join('gl', 'pat-', 'Zq8', filler(ALNUM, 17, 4));
const slackBot = join('xo', 'xb-', '2718281828', '-', '3141592653589', '-', filler(ALNUM, 24, 5));
const slackHook = join('https://hooks.', 'slack.com/services/', 'T04AB1CD2EF', '/B05GH3IJ4KL/', filler(ALNUM, 24, 6));
const stripe = join('sk', '_live_', '51Hq', filler(ALNUM, 24, 7));
const google = join('AI', 'za', 'SyD', filler(ALNUM, 32, 8));
const openai = join('sk-', 'proj-', filler(ALNUM, 40, 9), 'T3Blbk', 'FJ', filler(ALNUM, 40, 10));
const anthropic = join('sk-', 'ant-', 'api03-', filler(ALNUM, 93, 11), 'AA');
const huggingface = join('hf', '_', 'QxWvKjTzNpLmRbYcHdGfSaEuIoPwMnBvCx');
const azureKey = join(filler('Zq8/Rt5+Kw2Lm9Xp', 86), '==');
const npm = join('np', 'm_', filler(ALNUM, 36, 12));
const jwtHeader = join('eyJhbGciOiJIUzI1NiIs', 'InR5cCI6IkpXVCJ9');
const jwtPayload = join('eyJzdWIiOiI0MjQyIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIs', 'ImlhdCI6MTcwMDAwMDAwMH0');
const jwt = join(jwtHeader, '.', jwtPayload, '.', filler(ALNUM, 43, 13));
const pem = join(
  '-----BEGIN ',
  'RSA PRIVATE KEY-----\\n',
  PEM_BODY,
  '\\n',
  PEM_BODY,
  '\\n-----END RSA ',
  'PRIVATE KEY-----'
);

/** Every rule, caught in the form a notebook would hold it. */
export const FAKE_CREDENTIALS: readonly IFakeCredential[] = [
  quoted('aws_access_key_id = ', 'aws-access-key-id', awsKeyId),
  quoted('aws_secret_access_key = ', 'aws-secret-access-key', awsSecret),
  quoted('g = Github(', 'github-pat', githubPat),
  quoted('headers = {"Authorization": "token " + ', 'github-oauth-token', githubOauth),
  quoted('auth = Auth.Token(', 'github-app-token', githubApp),
  quoted('gh = Github(', 'github-fine-grained-pat', githubFine),
  quoted('gl = gitlab.Gitlab(url, private_token=', 'gitlab-pat', gitlab),
  quoted('client = WebClient(', 'slack-token', slackBot),
  quoted('requests.post(', 'slack-webhook', slackHook),
  quoted('stripe.api_key = ', 'stripe-live-key', stripe),
  quoted('genai.configure(api_key=', 'google-api-key', google),
  quoted('client = OpenAI(api_key=', 'openai-api-key', openai),
  quoted('client = anthropic.Anthropic(api_key=', 'anthropic-api-key', anthropic),
  quoted('login(', 'huggingface-token', huggingface),
  {
    rule: 'azure-storage-account-key',
    value: azureKey,
    line: `conn = "DefaultEndpointsProtocol=https;AccountName=labdata;AccountKey=${azureKey};EndpointSuffix=core.windows.net"`
  },
  { rule: 'npm-token', value: npm, line: `!npm config set //registry.npmjs.org/:_authToken=${npm}` },
  quoted('key = ', 'private-key', pem),
  {
    rule: 'connection-string-password',
    value: 'Tr0ub4dor-3x',
    line: 'engine = create_engine("postgresql+psycopg2://analyst:Tr0ub4dor-3x@db.lab.example.org:5432/results")'
  },
  { rule: 'connection-string-password', value: 'w9Kx2Lm4', line: 'MYSQL = "mysql://root:w9Kx2Lm4@10.0.0.5/db"' },
  {
    rule: 'connection-string-password',
    value: 'Qz7pL2mX9v',
    line: 'client = MongoClient("mongodb+srv://reader:Qz7pL2mX9v@cluster0.ab1cd.mongodb.net/?retryWrites=true")'
  },
  {
    rule: 'connection-string-password',
    value: 'r4bb1tMQ',
    line: 'params = pika.URLParameters("amqp://worker:r4bb1tMQ@mq.internal:5672/")'
  },
  {
    rule: 'connection-string-password',
    value: 'R3d1sPw0rd',
    line: 'r = redis.from_url("redis://:R3d1sPw0rd@cache:6379/0")'
  },
  {
    rule: 'url-password',
    value: 'Hx9mQ2vL',
    line: 'r = requests.get("https://alice:Hx9mQ2vL@intranet.lab.org/data.csv")'
  },
  quoted('token = ', 'jwt', jwt),
  quoted('db_password = ', 'secret-assignment', 'Kx9#mQ2vL!7p'),
  quoted('dbPassword <- ', 'secret-assignment', 'pL4$zR8q'),
  quoted('const API_KEY = ', 'secret-assignment', 'f3a9c2e17b4d8a6095e1c3b7d2f4a8e6'),
  { rule: 'secret-assignment', value: 'Zq81xLm04Pw73Rt92', line: 'export SERVICE_TOKEN=Zq81xLm04Pw73Rt92' },
  { rule: 'secret-assignment', value: 'q7W!e9R@t2Y', line: '  password: q7W!e9R@t2Y' },
  { rule: 'secret-assignment', value: 'c8D2fK9xP4vM7nQ1', line: '{"client_secret": "c8D2fK9xP4vM7nQ1"}' }
];

/** Lines that look like secrets at a glance and are not: none of them may be reported. */
export const NOT_SECRETS: readonly string[] = [
  'password = getpass.getpass("Password: ")',
  'password = getpass()',
  'token = os.environ["GITHUB_TOKEN"]',
  'api_key = os.getenv("OPENAI_API_KEY")',
  'token <- Sys.getenv("GITHUB_PAT")',
  'token = ENV["HF_TOKEN"]',
  'password = "xxx"',
  'api_key = "<your token>"',
  'api_key = "YOUR_API_KEY"',
  'token = "${GITHUB_TOKEN}"',
  'password = "changeme"',
  'password = "password"',
  'secret = "********"',
  'API_KEY = "sk-..."',
  'url = f"postgresql://{user}:{password}@{host}/db"',
  'url = "postgresql://user:password@localhost/db"',
  'url = "mysql://user:${DB_PASSWORD}@db/app"',
  'max_tokens = 512',
  'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")',
  'pad_token = "[PAD]"',
  'token_type = "bearer"',
  'key = lambda row: row["score"]',
  'client = Client(api_key=api_key)',
  'login(token=hf_token)',
  'password = config.database.password',
  'if password == "hunter2Zq!":',
  'os.environ["GOOGLE_APPLICATION_CREDENTIALS"] = "service_account_key.json"',
  'password = input("Enter your password")',
  '-----BEGIN RSA PRIVATE KEY-----',
  'key = "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----"',
  'commit = "3f1c2a9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b"',
  'image_id = "sha256:6f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a"'
];
