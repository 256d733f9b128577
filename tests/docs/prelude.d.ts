// The names a docs example may use without defining them (tests/docs/README.md): the
// example runner's prelude (prelude.mjs) gives each a real value against the local SWF.
// A script, not a module: these are globals of the type-checked examples.

/** A client for the local SWF (region us-east-1; the runner routes AWS's endpoint to it). */
declare const swf: import("swf-edge").SwfClient;
/** The token of a started activity task whose cancellation was requested (domain "orders"). */
declare const taskToken: string;
/** Three tokens of started tasks, the first two with cancellation requested. */
declare const tokens: string[];
/** An open execution of domain "orders", its activity started. */
declare const execution: { workflowId: string; runId: string };
/** The run id of the execution "order-42" of domain "orders", decided by a live decider that honours cancel requests. */
declare const runId: string;
/** Aborts after 60 s: what an example passes where a user would pass their own signal. */
declare const signal: AbortSignal;
/** A Worker's env: AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. */
declare const env: { AWS_REGION: string; AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; SWF_ENDPOINT?: string };
/** Credentials as an STS call would give them (the local SWF accepts any). */
declare const temporaryCredentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
/** Resolves `temporaryCredentials`. */
declare function fetchTemporaryCredentials(): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
/** A URL whose request runs until it is aborted (or 10 s pass). */
declare const longJobUrl: string;
