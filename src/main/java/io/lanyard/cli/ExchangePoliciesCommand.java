package io.lanyard.cli;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientService;
import io.lanyard.exchange.ExchangePolicy;
import io.lanyard.exchange.ExchangePolicyRules;
import io.lanyard.exchange.ExchangePolicyService;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
    static class Common extends CommandIO {
        @Override
        int keyWidth() {
            return 20;
        }

        private static final Map<String, String> OPTIONS = Map.of("audiences", "--audience", "scopes", "--scope",
                "subjectIssuers", "--subject-issuer");

        @Override
        @Nullable CommandFailure failure(RuntimeException e) {
            if (e instanceof ExchangePolicyRules.InvalidPolicyException invalid) {
                // the client was named on the command line already: its rule needs no label
                String option = OPTIONS.get(invalid.field());
                return new CommandFailure(option == null ? e.getMessage() : option + ": " + e.getMessage(), 2);
            }
            if (e instanceof ClientService.NoSuchClientException || e instanceof ExchangePolicyService.NoSuchPolicyException) {
                return new CommandFailure(e.getMessage(), 1);
            }
            return null;
        }

        <T> T run(Function<ExchangePolicyService, T> action) {
            return inContext(ctx -> action.apply(ctx.getBean(ExchangePolicyService.class)));
        }

        /** A change the next apply of the declarative file will undo deserves a word. */
        void warnIfFromFile(ExchangePolicy replaced) {
            if (Client.SOURCE_CONFIG.equals(replaced.source())) {
                note("the exchange policy of client '" + replaced.clientId() + "' came from the declarative file; "
                        + "applying the file again puts the file's back");
            }
        }

        void print(ExchangePolicy policy) {
            print(view(policy));
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
            ExchangePolicy policy = common.run(s -> s.find(clientId));
            common.print(policy);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List exchange policies.")
    static class ListPolicies implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.printList(common.run(ExchangePolicyService::list), ExchangePoliciesCommand::view,
                    List.of("CLIENT_ID", "AUDIENCES", "SCOPES", "IMPERSONATION", "SUBJECT_ISSUERS",
                            "MAY_OUTLIVE_SUBJECT", "SOURCE"),
                    p -> List.of(p.clientId(), String.join(",", new TreeSet<>(p.audiences())),
                            p.scopes().isEmpty() ? "-" : String.join(",", new TreeSet<>(p.scopes())),
                            String.valueOf(p.impersonation()), String.join(",", new TreeSet<>(p.subjectIssuers())),
                            String.valueOf(p.mayOutliveSubject()), p.source()));
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
            common.say("deleted the exchange policy of client " + clientId);
            return 0;
        }
    }
}
