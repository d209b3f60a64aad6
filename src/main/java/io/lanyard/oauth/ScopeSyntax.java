package io.lanyard.oauth;

import java.util.regex.Pattern;

/** RFC 6749 section 3.3: scope tokens are NQCHAR strings ({@code %x21 / %x23-5B / %x5D-7E}) separated by single spaces. */
public final class ScopeSyntax {
    private static final String TOKEN = "[\\x21\\x23-\\x5B\\x5D-\\x7E]+";
    private static final Pattern ONE = Pattern.compile(TOKEN);
    private static final Pattern LIST = Pattern.compile(TOKEN + "( " + TOKEN + ")*");

    private ScopeSyntax() {
    }

    /** One scope token, as a client registration names it. */
    public static boolean isToken(String value) {
        return ONE.matcher(value).matches();
    }

    /** A {@code scope} parameter: one or more tokens separated by single spaces. */
    public static boolean isList(String value) {
        return LIST.matcher(value).matches();
    }
}
