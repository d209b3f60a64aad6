package io.lanyard.clients;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class RedirectUrisTest {
    private static final Set<String> REGISTERED = Set.of("https://app.example.com/cb", "http://localhost:8000",
            "http://127.0.0.1/callback?x=1", "http://[::1]:9000/cb");

    @ParameterizedTest
    @CsvSource({
            "https://app.example.com/cb, https://app.example.com/cb",
            "http://localhost:8000, http://localhost:8000",
            "http://localhost:41234, http://localhost:8000",
            "http://localhost, http://localhost:8000",
            "http://127.0.0.1:5000/callback?x=1, http://127.0.0.1/callback?x=1",
            "http://[::1]:1/cb, http://[::1]:9000/cb"})
    void matches(String requested, String registered) {
        assertEquals(registered, RedirectUris.match(REGISTERED, requested));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/cb/", "https://APP.example.com/cb", "https://app.example.com/%63b",
            "https://app.example.com:443/cb", "https://app.example.com/cb?x=1", "https://app.example.com/cb#f",
            "http://localhost:8000/", "http://localhost:8000/other", "http://localhost:99999",
            "http://localhost.evil.com:8000", "http://localhost:8000@evil.com", "https://localhost:8000",
            "http://127.0.0.1:5000/callback", "http://127.0.0.1:5000/callback?x=2", "http://[::1]:1/cb/",
            "http://127.0.0.2:8000", ""})
    void refuses(String requested) {
        assertNull(RedirectUris.match(REGISTERED, requested));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://app.example.com/cb", "/relative", "https://app.example.com/cb#frag",
            "javascript:alert(1)", "https://user@app.example.com/cb", "not a uri"})
    void cannotBeRegistered(String uri) {
        assertNotNull(RedirectUris.problem(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/cb", "http://localhost:8000", "http://127.0.0.1", "http://[::1]:8000/x",
            "com.example.app:/oauth2redirect"})
    void canBeRegistered(String uri) {
        assertNull(RedirectUris.problem(uri));
    }
}
