package io.lanyard.cli;

import io.lanyard.users.PasswordHasher;
import io.lanyard.users.StoredUser;
import io.lanyard.users.User;
import io.lanyard.users.UserRules;
import io.lanyard.users.UserService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

@Command(name = "users", mixinStandardHelpOptions = true, description = "Manage the people who log in.",
        subcommands = {UsersCommand.Create.class, UsersCommand.ListUsers.class, UsersCommand.Show.class,
                UsersCommand.Update.class, UsersCommand.Delete.class, UsersCommand.SetPassword.class,
                UsersCommand.Disable.class, UsersCommand.Enable.class, UsersCommand.HashPassword.class})
public class UsersCommand {

    private static String yes(boolean value) {
        return value ? "yes" : "no";
    }

    static Map<String, Object> view(StoredUser stored) {
        User u = stored.user();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", u.id());
        view.put("username", u.username());
        view.put("email", u.email());
        view.put("email_verified", u.emailVerified());
        view.put("display_name", u.displayName());
        view.put("disabled", u.disabled());
        view.put("has_password", stored.hasPassword());
        view.put("source", stored.source());
        return view;
    }

    static Map<String, Object> view(UserService.Details details) {
        Map<String, Object> view = view(details.stored());
        view.put("groups", new ArrayList<>(details.directGroups()));
        view.put("all_groups", new ArrayList<>(details.allGroups()));
        return view;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user. Without --password-stdin the user has no password until set-password.")
    static class Create implements Callable<Integer> {
        @Mixin
        PeopleCommon common;
        @Parameters(index = "0", description = "username (unique, case does not matter)")
        String username;
        @Option(names = "--email", description = "email address")
        String email;
        @Option(names = "--email-verified", description = "the email address is known to be theirs")
        boolean emailVerified;
        @Option(names = "--display-name", description = "full name, for the `name` claim")
        String displayName;
        @Option(names = "--group", split = ",", description = "groups to put the user in (they must exist)")
        List<String> groups = List.of();
        @Option(names = "--disabled", description = "create the user disabled")
        boolean disabled;
        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean passwordStdin;

        @Override
        public Integer call() {
            String password = passwordStdin ? PasswordInput.read(true) : null;
            UserService.Details created = common.run(ctx -> {
                UserService users = ctx.getBean(UserService.class);
                users.create(new User(null, username, email, emailVerified, displayName, disabled), password, groups);
                return users.details(username);
            });
            common.print(view(created));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
    static class ListUsers implements Callable<Integer> {
        @Mixin
        PeopleCommon common;

        @Override
        public Integer call() {
            common.printList(common.run(ctx -> ctx.getBean(UserService.class).list()), UsersCommand::view,
                    List.of("USERNAME", "EMAIL", "VERIFIED", "PASSWORD", "DISABLED", "SOURCE", "ID"),
                    s -> List.of(s.user().username(), Objects.toString(s.user().email(), "-"),
                            yes(s.user().emailVerified()), yes(s.hasPassword()), yes(s.user().disabled()), s.source(),
                            s.user().id()));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a user with their groups: direct, and all of them through nested groups.")
    static class Show implements Callable<Integer> {
        @Mixin
        PeopleCommon common;
        @Parameters(index = "0", description = "username")
        String username;

        @Override
        public Integer call() {
            UserService.Details details = common.run(ctx -> ctx.getBean(UserService.class).details(username));
            common.print(view(details));
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change a user's profile. An empty value clears an optional field (--email '').")
    static class Update implements Callable<Integer> {
        @Mixin
        PeopleCommon common;
        @Parameters(index = "0", description = "username")
        String username;
        @Option(names = "--username", description = "new username (the id, and so the tokens' sub, stays)")
        String newUsername;
        @Option(names = "--email", description = "email address; a new address is unverified unless --email-verified true")
        String email;
        @Option(names = "--email-verified", arity = "1", description = "true or false")
        Boolean emailVerified;
        @Option(names = "--display-name", description = "full name")
        String displayName;

        @Override
        public Integer call() {
            StoredUser updated = common.run(ctx -> ctx.getBean(UserService.class).update(username, u -> {
                String newEmail = email == null ? u.email() : email.isEmpty() ? null : email;
                boolean verified = emailVerified != null ? emailVerified
                        : Objects.equals(newEmail, u.email()) && u.emailVerified();
                return new User(u.id(), newUsername != null ? newUsername : u.username(), newEmail, verified,
                        displayName == null ? u.displayName() : displayName.isEmpty() ? null : displayName,
                        u.disabled());
            }));
            common.warnIfFromFile(updated);
            common.print(view(updated));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a user and their memberships. Their id is never used again.")
    static class Delete implements Callable<Integer> {
        @Mixin
        PeopleCommon common;
        @Parameters(index = "0", description = "username")
        String username;

        @Override
        public Integer call() {
            common.run(ctx -> {
                UserService users = ctx.getBean(UserService.class);
                users.find(username).ifPresent(common::warnIfFromFile);
                users.delete(username);
                return null;
            });
            common.say("deleted user " + username);
            return 0;
        }
    }

    @Command(name = "set-password", mixinStandardHelpOptions = true,
            description = "Set a user's password: prompted for without echo on a terminal, else read from the "
                    + "first line of standard input. Never given as an argument.")
    static class SetPassword implements Callable<Integer> {
        @Mixin
        PeopleCommon common;
        @Parameters(index = "0", description = "username")
        String username;
        @Option(names = "--password-stdin", description = "read standard input even on a terminal")
        boolean passwordStdin;

        @Override
        public Integer call() {
            StoredUser user = common.run(ctx -> {
                UserService users = ctx.getBean(UserService.class);
                // an unknown user fails before anyone types a password
                StoredUser found = users.details(username).stored();
                users.setPassword(username, PasswordInput.read(passwordStdin));
                return found;
            });
            common.warnIfFromFile(user);
            common.say("set the password of user " + user.user().username());
            return 0;
        }
    }

    /** disable and enable: the same command with the flag the other way round. */
    abstract static class SetDisabled implements Callable<Integer> {
        @Mixin
        PeopleCommon common;
        @Parameters(index = "0", description = "username")
        String username;

        abstract boolean disabled();

        @Override
        public Integer call() {
            StoredUser user = common.run(ctx -> ctx.getBean(UserService.class).setDisabled(username, disabled()));
            common.warnIfFromFile(user);
            common.say((disabled() ? "disabled" : "enabled") + " user " + user.user().username());
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Stop a user from logging in.")
    static class Disable extends SetDisabled {
        @Override
        boolean disabled() {
            return true;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a disabled user log in again.")
    static class Enable extends SetDisabled {
        @Override
        boolean disabled() {
            return false;
        }
    }

    @Command(name = "hash-password", mixinStandardHelpOptions = true,
            description = "Print the Argon2id PHC string of a password (prompted for, or read from standard input), "
                    + "for passwordHash in the declarative file. Touches no database.")
    static class HashPassword implements Callable<Integer> {
        @Mixin
        PeopleCommon common;
        @Option(names = "--password-stdin", description = "read standard input even on a terminal")
        boolean passwordStdin;

        @Override
        public Integer call() {
            String password = PasswordInput.read(passwordStdin);
            String hash = common.run(ctx -> {
                UserRules.validatePassword("password", password);
                return ctx.getBean(PasswordHasher.class).hash(password);
            });
            common.say(hash);
            return 0;
        }
    }
}
