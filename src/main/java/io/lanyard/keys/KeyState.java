package io.lanyard.keys;

public enum KeyState {
    /** In the JWKS, not yet signing: verifiers pick it up before its first token. */
    PENDING,
    /** Signs new tokens. */
    ACTIVE,
    /** In the JWKS, no longer signing, until every token it signed has expired. */
    RETIRED,
    /** Out of the JWKS; its private key is wiped and the row stays so the kid is never reused. */
    REMOVED
}
