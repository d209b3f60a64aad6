package io.lanyard.token;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientForms;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.OAuthResponses;
import io.lanyard.oauth.PeerCertificates;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * What /introspect, /revoke and /device/code share: the form and the client are checked, then the endpoint's work
 * runs on the event loop when it reads memory only, on the blocking pool when it (or a client
 * assertion) touches the database. Every refusal is RFC 6749 5.2 JSON.
 */
@Singleton
public class ClientFormAnswers {

    /** One endpoint's work once its client is authenticated; it returns the JSON body of a 200. */
    public interface Work {
        String run(Client client, ClientForms.ClientForm form);
    }

    /** Whether the work needs the database, decided from the form before the client is authenticated. */
    public interface Blocking {
        boolean test(ClientForms.ClientForm form);
    }

    private final ClientForms forms;
    private final ExecutorService blocking;

    ClientFormAnswers(ClientForms forms, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.forms = forms;
        this.blocking = blocking;
    }

    public CompletableFuture<HttpResponse<String>> answer(HttpRequest<?> request, @Nullable String body, Blocking needsDatabase,
                                                   Work work) {
        ClientForms.ClientForm form;
        try {
            form = forms.read(new ClientForms.Request(request.getHeaders().get(HttpHeaders.CONTENT_TYPE), body,
                    request.getHeaders().get(HttpHeaders.AUTHORIZATION), PeerCertificates.of(request)));
        } catch (OAuthException e) {
            return CompletableFuture.completedFuture(OAuthResponses.error(e.error()));
        }
        if (form.blocking() || needsDatabase.test(form)) {
            return CompletableFuture.supplyAsync(() -> run(form, work), blocking);
        }
        return CompletableFuture.completedFuture(run(form, work));
    }

    private static HttpResponse<String> run(ClientForms.ClientForm form, Work work) {
        try {
            return OAuthResponses.json(HttpStatus.OK, work.run(form.client(), form));
        } catch (OAuthException e) {
            return OAuthResponses.error(e.error());
        }
    }

    /** The {@code token} parameter, which both RFCs require. */
    public static String token(ClientForms.ClientForm form) {
        String token = form.parameter("token");
        if (token == null || token.isEmpty()) {
            throw OAuthException.invalidRequest("token is missing");
        }
        return token;
    }
}
