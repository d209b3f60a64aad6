package io.lanyard.users;

/**
 * The outcome of a password login. Callers must show the same answer for {@link UnknownUser}
 * and {@link WrongPassword}, or the login page tells who has an account.
 */
public sealed interface PasswordCheck
        permits PasswordCheck.Verified, PasswordCheck.UnknownUser, PasswordCheck.WrongPassword, PasswordCheck.Disabled,
        PasswordCheck.Unavailable {

    record Verified(User user) implements PasswordCheck {
    }

    record UnknownUser() implements PasswordCheck {
    }

    /** Also the answer for a user who has no password (password login is off for them). */
    record WrongPassword(User user) implements PasswordCheck {
    }

    /** Only reported after the password verified, so it does not reveal an account to a guesser. */
    record Disabled(User user) implements PasswordCheck {
    }

    /** A directory that might know the person did not answer: nothing is concluded, they may try again. */
    record Unavailable() implements PasswordCheck {
    }
}
