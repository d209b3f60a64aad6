package io.lanyard.authorize;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.util.List;

/** The address a login came from, for the per-address throttle and the log. */
@Singleton
public class ClientAddresses {
    private final @Nullable String header;

    public ClientAddresses(LoginProperties login) {
        this.header = login.clientAddressHeader() == null || login.clientAddressHeader().isBlank()
                ? null : login.clientAddressHeader();
    }

    public String of(HttpRequest<?> request) {
        if (header != null) {
            List<String> values = request.getHeaders().getAll(header);
            if (!values.isEmpty()) {
                String last = values.get(values.size() - 1);
                int comma = last.lastIndexOf(',');
                String address = (comma < 0 ? last : last.substring(comma + 1)).trim();
                if (!address.isEmpty() && address.length() <= 64) {
                    return address;
                }
            }
        }
        InetSocketAddress remote = request.getRemoteAddress();
        return remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    }
}
