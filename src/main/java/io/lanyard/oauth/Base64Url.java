package io.lanyard.oauth;

/**
 * RFC 7515 section 2: JWS segments are base64url without padding, and (RFC 8725 section 3) only
 * one encoding of a value may be accepted: a decoder that also takes padding or stray low bits in
 * the last character lets one token be written many ways, and anything keyed by the token string
 * (a replay cache, a deny-list) is then bypassed. Written by hand: the JDK's and Nimbus's decoders
 * are lenient in exactly these ways.
 */
public final class Base64Url {
    private Base64Url() {
    }

    /** True when {@code text[from, to)} is canonical unpadded base64url (empty counts). */
    public static boolean isCanonical(CharSequence text, int from, int to) {
        int length = to - from;
        if (length % 4 == 1) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (value(text.charAt(i)) < 0) {
                return false;
            }
        }
        if (length % 4 == 0 || length == 0) {
            return true;
        }
        // the last character carries 4 (two left over) or 2 (three left over) bits that encode nothing
        int unused = length % 4 == 2 ? 0x0f : 0x03;
        return (value(text.charAt(to - 1)) & unused) == 0;
    }

    /** True when every dot-separated segment of a compact JWS is canonical unpadded base64url. */
    public static boolean isCanonicalCompact(String token) {
        int start = 0;
        for (int dot = token.indexOf('.'); ; dot = token.indexOf('.', start)) {
            int end = dot < 0 ? token.length() : dot;
            if (!isCanonical(token, start, end)) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }
}
