// Small assertion helpers shared by the Node tests.
import assert from "node:assert/strict";

/** The error `promise` rejects with (fails the test if it resolves). */
export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected the call to reject");
}
