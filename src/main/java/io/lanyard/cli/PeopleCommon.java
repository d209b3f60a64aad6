package io.lanyard.cli;

import io.lanyard.users.InvalidEntryException;
import io.lanyard.users.NoSuchGroupException;
import io.lanyard.users.NoSuchUserException;
import io.lanyard.users.StoredUser;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;

import java.util.function.Function;

/** What the users and groups subcommands share: output format, services, readable failures. */
class PeopleCommon extends CommandIO {

    @Override
    @Nullable CommandFailure failure(RuntimeException e) {
        if (e instanceof InvalidEntryException) {
            return new CommandFailure(e.getMessage(), 2);
        }
        if (e instanceof NoSuchUserException || e instanceof NoSuchGroupException) {
            return new CommandFailure(e.getMessage(), 1);
        }
        return null;
    }

    <T> T run(Function<ApplicationContext, T> action) {
        return inContext(action);
    }

    /** A change the next apply of the declarative file will undo deserves a word. */
    void warnIfFromFile(StoredUser user) {
        if (StoredUser.SOURCE_CONFIG.equals(user.source())) {
            note("user '" + user.user().username() + "' comes from the declarative file; applying the file again "
                    + "brings it back in line with the file");
        }
    }
}
