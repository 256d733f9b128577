// A credentials provider (the caller's async function) in front of the wasm, which holds
// the keys: its answer is read here (by the rules of the wasm's inputs), its keys handed to
// the wasm at once (never kept here) and cached by its expiry until 5 minutes before it,
// with one shared refresh for all callers. An answer that has already expired is not
// used: the provider is asked once more, then the call fails with a CredentialsError.
// Imported by call.js.
import { readFields, required } from "./read.js";
import { describe, limited } from "./transport.js";

/** Provided credentials are refreshed this long before they expire. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

/** A credentials error record (call.js redacts and completes it). */
const failed = (message) => ({ kind: "credentials", name: "CredentialsError", message, retryable: false });
/** The record of a provider answer that cannot be used (`field` is not kept). */
const unusable = (field, message) => failed(`the credentials provider returned unusable credentials: ${message}`);

/** A provider's answer: `{ accessKeyId, secretAccessKey, sessionToken?, expiration? }`. */
const PROVIDED = { accessKeyId: "string", secretAccessKey: "string", sessionToken: "string", expiration: "any" };

/**
 * When an answer's `expiration` (a `Date`, a date string or epoch ms) is, in epoch ms:
 * `Infinity` when it has none, NaN when it is none of those or not a finite time.
 */
function expiresMs(expiration) {
  if (expiration === undefined) return Infinity;
  const ms =
    expiration instanceof Date ? expiration.getTime()
    : typeof expiration === "number" ? expiration
    : typeof expiration === "string" ? Date.parse(expiration)
    : NaN;
  return Number.isFinite(ms) ? ms : NaN;
}

export class Provider {
  #wasm;
  #function;
  /** When the credentials the wasm holds expire (issuer's clock, epoch ms); none yet: -Infinity. */
  #expires = -Infinity;
  /** The refresh in flight, shared by every call that needs it. */
  #pending = null;
  /** How many answers the wasm took (its credentials' generation). */
  #generation = 0;
  /** How many replaced sets the wasm still holds. */
  #retired = 0;
  /** Calls in flight by the generation current when they started. */
  #calls = new Map();

  constructor(wasm, provider) {
    this.#wasm = wasm;
    this.#function = provider;
  }

  /** Whether the credentials held are good for a while yet at `nowMs` (the corrected clock). */
  fresh(nowMs) {
    return nowMs < this.#expires - REFRESH_BEFORE_EXPIRY_MS;
  }

  /**
   * Makes the wasm hold usable credentials, calling the provider if they are not fresh
   * at `now()` and waiting for it at most `waitMs` (0 = no limit) and until `signal`
   * aborts. Rejects with a credentials record (or what `limited` rejects with).
   */
  async get(now, waitMs, signal) {
    if (this.fresh(now())) return;
    let askedAgain = false;
    for (;;) {
      const expires = await limited(this.#pending ?? this.#refresh(now), waitMs, signal).catch((thrown) => {
        throw thrown?.kind === "credentials" ? thrown : failed(`the credentials provider failed: ${describe(thrown)}`);
      });
      if (now() < expires) return;
      // Concurrent calls that got the same answer join one second refresh.
      if (askedAgain) throw failed("the credentials provider returned expired credentials twice (nothing was signed)");
      askedAgain = true;
    }
  }

  /** Calls the provider once for every call waiting; resolves when the answer expires. */
  #refresh(now) {
    const refresh = new Promise((resolve) => resolve(this.#function.call(undefined))).then(
      (value) => {
        this.#pending = null;
        const [keyId, secret, token, expiration] = readFields(value, "", PROVIDED, unusable);
        required(keyId, "accessKeyId", unusable);
        required(secret, "secretAccessKey", unusable);
        const expires = expiresMs(expiration);
        // The wasm checks and takes the keys (not when expired or NaN); throws a credentials record.
        this.#wasm.useCredentials(keyId, secret, token, expires, now());
        if (Number.isNaN(expires)) throw unusable("expiration", "expiration must be a Date, an ISO date string or epoch milliseconds");
        if (now() < expires) {
          this.#expires = expires;
          if (this.#generation++ > 0) this.#retired++;
          this.#prune();
        }
        return expires;
      },
      (thrown) => {
        this.#pending = null;
        throw failed(`the credentials provider failed: ${describe(thrown)}`);
      },
    );
    this.#pending = refresh;
    return refresh;
  }

  /** A call starts: returns its ticket for `leave`. */
  enter() {
    const generation = this.#generation;
    this.#calls.set(generation, (this.#calls.get(generation) ?? 0) + 1);
    return generation;
  }

  /** A call ended: the wasm may forget the credentials no call in flight signed with. */
  leave(generation) {
    const left = this.#calls.get(generation) - 1;
    if (left > 0) this.#calls.set(generation, left);
    else this.#calls.delete(generation);
    this.#prune();
  }

  /** Tells the wasm to forget replaced sets older than the oldest call in flight. */
  #prune() {
    let oldest = this.#generation;
    for (const generation of this.#calls.keys()) oldest = Math.min(oldest, generation);
    // A call that started at generation g may have signed with g and every later one.
    const keep = Math.min(this.#retired, this.#generation - Math.max(oldest, 1));
    if (keep < this.#retired) {
      this.#wasm.forgetCredentials(keep);
      this.#retired = keep;
    }
  }
}
