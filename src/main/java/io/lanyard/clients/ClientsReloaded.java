package io.lanyard.clients;

/** Published after the registry reloaded: what hangs off clients (exchange policies) reloads with it. */
public record ClientsReloaded(int clients) {
}
