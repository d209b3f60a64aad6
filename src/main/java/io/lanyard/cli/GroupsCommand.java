package io.lanyard.cli;

import io.lanyard.users.Group;
import io.lanyard.users.GroupService;
import io.lanyard.users.StoredUser;
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

@Command(name = "groups", mixinStandardHelpOptions = true,
        description = "Manage groups. A group's members are users and other groups; tokens list every group a "
                + "user is in, directly or through nesting.",
        subcommands = {GroupsCommand.Create.class, GroupsCommand.ListGroups.class, GroupsCommand.Show.class,
                GroupsCommand.Delete.class, GroupsCommand.AddMember.class, GroupsCommand.RemoveMember.class})
public class GroupsCommand {

    static Map<String, Object> view(Group g) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", g.name());
        view.put("description", g.description());
        view.put("source", g.source());
        return view;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a group.")
    static class Create implements Callable<Integer> {
        @Mixin
        PeopleCommon common;
        @Parameters(index = "0", description = "group name, as tokens carry it")
        String name;
        @Option(names = "--description", description = "what the group is for")
        String description;

        @Override
        public Integer call() {
            Group group = common.run(ctx -> ctx.getBean(GroupService.class)
                    .create(new Group(name, description, StoredUser.SOURCE_CLI)));
            common.print(view(group));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List groups.")
    static class ListGroups implements Callable<Integer> {
        @Mixin
        PeopleCommon common;

        @Override
        public Integer call() {
            common.printList(common.run(ctx -> ctx.getBean(GroupService.class).list()), GroupsCommand::view,
                    List.of("NAME", "SOURCE", "DESCRIPTION"),
                    g -> List.of(g.name(), g.source(), Objects.toString(g.description(), "-")));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a group: its member users and groups, and the groups it is a member of.")
    static class Show implements Callable<Integer> {
        @Mixin
        PeopleCommon common;
        @Parameters(index = "0", description = "group name")
        String name;

        @Override
        public Integer call() {
            GroupService.Details details = common.run(ctx -> ctx.getBean(GroupService.class).details(name));
            Map<String, Object> view = view(details.group());
            view.put("users", new ArrayList<>(details.users()));
            view.put("groups", new ArrayList<>(details.groups()));
            view.put("member_of", new ArrayList<>(details.memberOf()));
            common.print(view);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a group and its memberships; its members stay.")
    static class Delete implements Callable<Integer> {
        @Mixin
        PeopleCommon common;
        @Parameters(index = "0", description = "group name")
        String name;

        @Override
        public Integer call() {
            common.run(ctx -> {
                ctx.getBean(GroupService.class).delete(name);
                return null;
            });
            common.say("deleted group " + name);
            return 0;
        }
    }

    /** What add-member and remove-member take: the group, then usernames, and groups with --group. */
    abstract static class MemberCommand implements Callable<Integer> {
        @Mixin
        PeopleCommon common;
        @Parameters(index = "0", description = "group name")
        String group;
        @Parameters(index = "1..*", arity = "0..*", description = "usernames")
        List<String> usernames = new ArrayList<>();
        @Option(names = "--group", split = ",", description = "groups (nested: their members are in this group too)")
        List<String> groups = new ArrayList<>();

        abstract List<GroupService.Membership> change(GroupService service);

        abstract String describe(GroupService.Membership m, String who);

        @Override
        public Integer call() {
            if (usernames.isEmpty() && groups.isEmpty()) {
                throw new CommandFailure("name at least one username or --group", 2);
            }
            List<GroupService.Membership> done = common.run(ctx -> change(ctx.getBean(GroupService.class)));
            for (GroupService.Membership m : done) {
                common.say(describe(m, (m.isGroup() ? "group " : "user ") + m.member()));
            }
            return 0;
        }
    }

    @Command(name = "add-member", mixinStandardHelpOptions = true,
            description = "Add users (by username) and groups (--group) to a group; all or none. A group that "
                    + "would end up inside itself is refused.")
    static class AddMember extends MemberCommand {
        @Override
        List<GroupService.Membership> change(GroupService service) {
            return service.addMembers(group, usernames, groups);
        }

        @Override
        String describe(GroupService.Membership m, String who) {
            return m.changed() ? "added " + who + " to " + group : who + " already was in " + group;
        }
    }

    @Command(name = "remove-member", mixinStandardHelpOptions = true,
            description = "Remove users (by username) and groups (--group) from a group; all or none.")
    static class RemoveMember extends MemberCommand {
        @Override
        List<GroupService.Membership> change(GroupService service) {
            return service.removeMembers(group, usernames, groups);
        }

        @Override
        String describe(GroupService.Membership m, String who) {
            return m.changed() ? "removed " + who + " from " + group : who + " was not a direct member of " + group;
        }
    }
}
