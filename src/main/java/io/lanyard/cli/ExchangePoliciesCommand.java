package io.lanyard.cli;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientService;
import io.lanyard.exchange.ExchangePolicy;
import io.lanyard.exchange.ExchangePolicyRules;
import io.lanyard.exchange.ExchangePolicyService;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "exchange-policies", mixinStandardHelpOptions = true,
        description = "Manage token-exchange (RFC 8693) policies: what a client may exchange other parties' tokens "
                + "for. A policy the declarative file declares for the same client replaces one set here at the "
                + "next apply.",
        subcommands = {ExchangePoliciesCommand.SetPolicy.class, ExchangePoliciesCommand.Show.class,
                ExchangePoliciesCommand.ListPolicies.class, ExchangePoliciesCommand.Delete.class})
public class ExchangePoliciesCommand {

    /** Output format, the service, and readable failures; the option names stand in for the file's field names. */
    static class Common {
        private static final Map<String, String> OPTIONS = Map.of("audiences", "--audience", "scopes", "--scope",
                "subjectIssuers", "--subject-issuer");

        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;
        @Option(names = {"-o", "--output"}, description = "table or json", defaultValue = "table")
        OutputFormat output;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        <T> T run(Function<ExchangePolicyService, T> action) {
            try (ApplicationContext ctx = CliContext.open()) {
                return action.apply(ctx.getBean(ExchangePolicyService.class));
            } catch (ExchangePolicyRules.InvalidPolicyException e) {
                // the client was named on the command line already: its rule needs no label
                String option = OPTIONS.get(e.field());
                throw new CommandFailure(option == null ? e.getMessage() : option + ": " + e.getMessage(), 2);
            } catch (ClientService.NoSuchClientException | ExchangePolicyService.NoSuchPolicyException e) {
                throw new CommandFailure(e.getMessage(), 1);
            }
        }

        /** A change the next apply of the declarative file will undo deserves a word. */
        void warnIfFromFile(ExchangePolicy replaced) {
            if (Client.SOURCE_CONFIG.equals(replaced.source())) {
                spec.commandLine().getErr().println("note: the exchange policy of client '" + replaced.clientId()
                        + "' came from the declarative file; applying the file again puts the file's back");
                spec.commandLine().getErr().flush();
            }
        }

        void print(ExchangePolicy policy) {
            Map<String, Object> view = view(policy);
            if (output == OutputFormat.json) {
                Output.json(out(), view);
                return;
            }
            view.forEach((k, v) -> out().printf("%-20s %s%n", k + ":", v instanceof List<?> l
                    ? (l.isEmpty() ? "-" : String.join(" ", l.stream().map(String::valueOf).toList())) : v));
            out().flush();
        }
    }

    static Map<String, Object> view(ExchangePolicy p) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("client_id", p.clientId());
        view.put("audiences", new ArrayList<>(new TreeSet<>(p.audiences())));
        view.put("scopes", new ArrayList<>(new TreeSet<>(p.scopes())));
        view.put("impersonation", p.impersonation());
        view.put("subject_issuers", new ArrayList<>(new TreeSet<>(p.subjectIssuers())));
        view.put("may_outlive_subject", p.mayOutliveSubject());
        view.put("source", p.source());
        return view;
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Give a confidential client its exchange policy, replacing any it had. Like an entry "
                    + "under tokenExchange: in the file, the options make the whole policy: what is left out "
                    + "takes its default.")
    static class SetPolicy implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", description = "client id")
        String clientId;
        @Option(names = "--audience", split = ",", description = "an audience it may ask tokens for (repeatable; "
                + "at least one)")
        List<String> audiences = new ArrayList<>();
        @Option(names = "--scope", split = ",", description = "a scope a new token may carry, at most "
                + "(repeatable; default: none)")
        List<String> scopes = new ArrayList<>();
        @Option(names = "--impersonation", negatable = true, description = "may exchange without an actor_token, "
                + "so the new token names no actor (default: --no-impersonation)")
        boolean impersonation;
        @Option(names = "--subject-issuer", split = ",", description = "whose tokens it may present: 'self' "
                + "(Lanyard's) or a trusted issuer's URL (repeatable; default: self)")
        List<String> subjectIssuers = new ArrayList<>();
        @Option(names = "--may-outlive-subject", negatable = true, description = "new tokens get the client's "
                + "access-token lifetime from now instead of expiring with the subject token "
                + "(default: --no-may-outlive-subject)")
        boolean mayOutliveSubject;

        @Override
        public Integer call() {
            ExchangePolicy wanted = new ExchangePolicy(clientId, new LinkedHashSet<>(audiences),
                    new LinkedHashSet<>(scopes), impersonation, new LinkedHashSet<>(subjectIssuers), mayOutliveSubject,
                    Client.SOURCE_CLI);
            ExchangePolicyService.Replaced written = common.run(s -> s.set(wanted));
            written.previous().ifPresent(common::warnIfFromFile);
            common.print(written.policy());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one client's exchange policy.")
    static class Show implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", description = "client id")
        String clientId;

        @Override
        public Integer call() {
            common.print(common.run(s -> s.find(clientId)));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List exchange policies.")
    static class ListPolicies implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() {
            List<ExchangePolicy> policies = common.run(ExchangePolicyService::list);
            if (common.output == OutputFormat.json) {
                Output.json(common.out(), policies.stream().map(ExchangePoliciesCommand::view).toList());
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (ExchangePolicy p : policies) {
                rows.add(List.of(p.clientId(), String.join(",", new TreeSet<>(p.audiences())),
                        p.scopes().isEmpty() ? "-" : String.join(",", new TreeSet<>(p.scopes())),
                        String.valueOf(p.impersonation()), String.join(",", new TreeSet<>(p.subjectIssuers())),
                        String.valueOf(p.mayOutliveSubject()), p.source()));
            }
            Output.table(common.out(), List.of("CLIENT_ID", "AUDIENCES", "SCOPES", "IMPERSONATION", "SUBJECT_ISSUERS",
                    "MAY_OUTLIVE_SUBJECT", "SOURCE"), rows);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a client's exchange policy: it may no longer exchange tokens.")
    static class Delete implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", description = "client id")
        String clientId;

        @Override
        public Integer call() {
            ExchangePolicy deleted = common.run(s -> s.delete(clientId));
            common.warnIfFromFile(deleted);
            common.out().println("deleted the exchange policy of client " + clientId);
            common.out().flush();
            return 0;
        }
    }
}
