package io.lanyard.admin;

import io.lanyard.users.Group;
import io.lanyard.users.GroupService;
import io.lanyard.users.StoredUser;
import io.lanyard.users.User;
import io.lanyard.users.UserService;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * On the first start of a dev installation, a person to log in as, like the demo client: the
 * bootstrap marker lets exactly one replica create it and print its password, once.
 */
@Singleton
public class DemoUser {
    static final String USERNAME = "demo";
    static final String GROUP = "demo-admins";

    private final BootstrapMarkers markers;
    private final UserService users;
    private final GroupService groups;

    public DemoUser(BootstrapMarkers markers, UserService users, GroupService groups) {
        this.markers = markers;
        this.users = users;
        this.groups = groups;
    }

    public void createOnFirstStart() {
        if (!markers.claim("demo-user")) {
            return;
        }
        if (users.find(USERNAME).isPresent()) {
            return;
        }
        if (groups.find(GROUP).isEmpty()) {
            groups.create(new Group(GROUP, "The demo user's group: bind it to a role to try group-based access",
                    StoredUser.SOURCE_CLI));
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        users.create(new User(null, USERNAME, "demo@example.com", true, "Demo User", false), password, List.of(GROUP));
        // Printed to the console, not logged: this is the one time the password is shown.
        System.out.println();
        System.out.println("  First start: created the demo user (shown once, keep it safe)");
        System.out.println("    username: " + USERNAME + "   (group " + GROUP + ")");
        System.out.println("    password: " + password);
        System.out.println("  Change it: ./lanyard users set-password " + USERNAME);
        System.out.println();
    }
}
