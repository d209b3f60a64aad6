package io.lanyard.users;

public sealed interface PasswordCheck permits PasswordCheck.Verified, PasswordCheck.UnknownUser,
        PasswordCheck.WrongPassword, PasswordCheck.Disabled {
    record Verified(User user) implements PasswordCheck {
    }

    record UnknownUser() implements PasswordCheck {
    }

    record WrongPassword(User user) implements PasswordCheck {
    }

    record Disabled(User user) implements PasswordCheck {
    }
}
