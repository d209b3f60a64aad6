package io.lanyard.runtime;

import io.lanyard.config.LanyardConfigException;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code LANYARD_*} setting and the strict check that runs before anything is bound. Micronaut
 * binds leniently: a duration it cannot parse ({@code ten}, {@code 3 minutes}) falls back to the
 * default without a word, and a misspelt variable is simply never read. Here every value is parsed
 * as its kind demands and every unknown {@code LANYARD_*} name is refused, naming the closest known
 * one, so an invalid or unknown setting stops the start with one line. Each setting is checked in
 * both of its spellings: the environment variable and the system property ({@code -Dlanyard.issuer}).
 * Ranges and cross-checks (a pre-publication period longer than the JWKS cache, say) stay with the
 * code that uses the value; this checks only that the value is one at all.
 */
public final class Settings {
    enum Kind { TEXT, DURATION, COUNT, PORT, CHOICE }

    record Setting(String name, Kind kind, List<String> choices) {
    }

    /**
     * Durations as Micronaut reads them: a whole number (an int) and a lower-case unit, or ISO-8601
     * starting with an upper-case P. Anything else Micronaut would quietly replace by the default.
     */
    private static final Pattern DURATION = Pattern.compile("\\d{1,9}(ms|s|m|h|d)");
    private static final Pattern COUNT = Pattern.compile("\\d{1,9}");
    /**
     * Names under LANYARD_ / lanyard.* that belong to the tools around the server, not to it: the
     * ./lanyard script's LANYARD_JAVA_OPTS, the bench scripts' LANYARD_JAR, the CLI's -Dlanyard.cwd and
     * -Dlanyard.debug, the build's lanyard.cds.*, and the test suite's LANYARD_TEST_*.
     */
    private static final List<String> TOOLING = List.of("LANYARD_JAVA_OPTS", "LANYARD_JAR", "LANYARD_CWD",
            "LANYARD_DEBUG", "LANYARD_TEST_", "LANYARD_CDS_");
    /** A secret the declarative file reads from a variable, which may well be named LANYARD_something. */
    private static final Pattern FROM_ENV = Pattern.compile(
            "[\"']?(?:secret|password)FromEnv[\"']?\\s*:\\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)");
    /** A connector's Dex-style $VAR or ${VAR} (bindPW, clientSecret). */
    private static final Pattern DOLLAR_VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    static final Map<String, Setting> KNOWN = new LinkedHashMap<>();

    static {
        text("LANYARD_ISSUER", "LANYARD_KEK", "LANYARD_KEK_FILE", "LANYARD_DATA_DIR", "LANYARD_CONFIG",
                "LANYARD_DB_URL", "LANYARD_DB_USER", "LANYARD_DB_PASSWORD", "LANYARD_TLS_CERT_FILE",
                "LANYARD_TLS_KEY_FILE", "LANYARD_TLS_CLIENT_CA_FILE", "LANYARD_KEYS_ALGORITHMS",
                "LANYARD_LOGIN_CLIENT_ADDRESS_HEADER", "LANYARD_TOKEN_REVIEW_CLIENTS", "LANYARD_TOKEN_REVIEW_USERNAME_PREFIX",
                "LANYARD_TOKEN_REVIEW_GROUPS_PREFIX");
        choice("LANYARD_TOKEN_REVIEW_USERNAME_CLAIM", "email", "sub", "preferred_username");
        choice("LANYARD_PROFILE", "dev", "prod");
        choice("LANYARD_LOG_FORMAT", "text", "json");
        choice("LANYARD_LOG_LEVEL", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
        choice("LANYARD_KEYS_PROVIDER", "auto", "accp", "jdk");
        add("LANYARD_MANAGEMENT_PORT", Kind.PORT);
        duration("LANYARD_DB_TIMEOUT", "LANYARD_KEYS_ROTATION_PERIOD", "LANYARD_KEYS_PRE_PUBLISH",
                "LANYARD_KEYS_JWKS_MAX_AGE", "LANYARD_KEYS_CHECK_INTERVAL", "LANYARD_TOKENS_ACCESS_TOKEN_LIFETIME",
                "LANYARD_TOKENS_ID_TOKEN_LIFETIME", "LANYARD_TOKENS_MAX_LIFETIME", "LANYARD_TOKENS_CODE_LIFETIME",
                "LANYARD_TOKENS_REFRESH_IDLE_LIFETIME", "LANYARD_TOKENS_REFRESH_MAX_LIFETIME",
                "LANYARD_TOKENS_REFRESH_GRACE", "LANYARD_LOGIN_SESSION_LIFETIME", "LANYARD_LOGIN_FIRST_DELAY",
                "LANYARD_LOGIN_MAX_DELAY", "LANYARD_LOGIN_FAILURE_WINDOW", "LANYARD_LOGIN_PASSWORD_CHECK_WAIT",
                "LANYARD_FEDERATION_REFETCH_INTERVAL", "LANYARD_FEDERATION_FETCH_TIMEOUT",
                "LANYARD_CACHE_REFRESH_INTERVAL", "LANYARD_DEVICE_CODE_LIFETIME", "LANYARD_DEVICE_INTERVAL");
        count("LANYARD_KEYS_RSA_BITS", "LANYARD_TOKENS_MAX_BODY_BYTES", "LANYARD_LOGIN_FREE_FAILURES_PER_ACCOUNT",
                "LANYARD_LOGIN_FREE_FAILURES_PER_ADDRESS", "LANYARD_LOGIN_MAX_CONCURRENT_PASSWORD_CHECKS",
                "LANYARD_PASSWORDS_MEMORY_KIB", "LANYARD_PASSWORDS_ITERATIONS", "LANYARD_PASSWORDS_PARALLELISM",
                "LANYARD_DEVICE_FREE_GUESSES_PER_ADDRESS", "LANYARD_DEVICE_FREE_GUESSES");
    }

    private Settings() {
    }

    private static void add(String name, Kind kind, String... choices) {
        KNOWN.put(name, new Setting(name, kind, List.of(choices)));
    }

    private static void text(String... names) {
        for (String name : names) {
            add(name, Kind.TEXT);
        }
    }

    private static void duration(String... names) {
        for (String name : names) {
            add(name, Kind.DURATION);
        }
    }

    private static void count(String... names) {
        for (String name : names) {
            add(name, Kind.COUNT);
        }
    }

    private static void choice(String name, String... choices) {
        add(name, Kind.CHOICE, choices);
    }

    /** Checks the process's environment and system properties; throws the first problem as one line. */
    public static void check() {
        check(null);
    }

    /**
     * As {@link #check()}, for a command that reads {@code file} (config check, config apply): the
     * variables that file's secrets come from are allowed too.
     */
    public static void check(@Nullable Path file) {
        check(System.getenv(), System.getProperties(), file);
    }

    static void check(Map<String, String> environment, Properties system) {
        check(environment, system, null);
    }

    static void check(Map<String, String> environment, Properties system, @Nullable Path file) {
        Set<String> secrets = new HashSet<>(secretVariables(system.getProperty("lanyard.config",
                environment.get("LANYARD_CONFIG"))));
        if (file != null) {
            secrets.addAll(secretVariables(file.toString()));
        }
        environment.forEach((name, value) -> {
            boolean secret = secrets.contains(name) && !KNOWN.containsKey(name);
            if (name.startsWith("LANYARD_") && !secret && TOOLING.stream().noneMatch(name::startsWith)) {
                checkOne(name, name, value);
            }
        });
        for (String property : system.stringPropertyNames()) {
            if (property.startsWith("lanyard.")) {
                String name = kebab(property).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
                if (TOOLING.stream().noneMatch(name::startsWith)) {
                    Setting setting = KNOWN.get(name);
                    // the environment spelling folds dots and dashes together; Micronaut does not
                    boolean bound = setting == null || kebab(property).equals(property(name));
                    checkOne(bound ? name : property, "-D" + property, system.getProperty(property));
                }
            }
        }
    }

    private static void checkOne(String name, String shown, String value) {
        Setting setting = KNOWN.get(name);
        if (setting == null) {
            throw new LanyardConfigException(shown + " is not a setting of Lanyard (did you mean "
                    + closest(name) + "?)");
        }
        String problem = switch (setting.kind()) {
            case TEXT -> null;
            case DURATION -> isDuration(value.trim()) ? null
                    : "is not a duration (a number and a unit: 500ms, 30s, 10m, 24h, 7d; or ISO-8601 such as PT10M)";
            case COUNT -> COUNT.matcher(value.trim()).matches() ? null : "is not a whole number";
            case PORT -> COUNT.matcher(value.trim()).matches() && Integer.parseInt(value.trim()) >= 1
                    && Integer.parseInt(value.trim()) <= 65535 ? null : "is not a port (1 to 65535)";
            case CHOICE -> setting.choices().stream().anyMatch(c -> c.equalsIgnoreCase(value.trim())) ? null
                    : "must be one of " + String.join(", ", setting.choices());
        };
        if (problem != null) {
            throw new LanyardConfigException(shown + ": '" + printable(value) + "' " + problem);
        }
    }

    private static boolean isDuration(String value) {
        if (value.startsWith("P")) {
            try {
                Duration.parse(value);
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return DURATION.matcher(value).matches();
    }

    /**
     * The variables the declarative file's secretFromEnv and passwordFromEnv name, and its connectors'
     * $VAR references; none if it cannot be read.
     */
    private static Set<String> secretVariables(@Nullable String configFile) {
        if (configFile == null || configFile.isBlank()) {
            return Set.of();
        }
        try {
            String text = Files.readString(Path.of(configFile));
            Set<String> names = new HashSet<>();
            for (Pattern pattern : List.of(FROM_ENV, DOLLAR_VARIABLE)) {
                Matcher m = pattern.matcher(text);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
            return names;
        } catch (IOException | RuntimeException e) {
            return Set.of(); // the start reports an unreadable file itself, with its name
        }
    }

    /** Sections of {@code lanyard.*}: LANYARD_KEYS_PRE_PUBLISH is lanyard.keys.pre-publish, LANYARD_DATA_DIR lanyard.data-dir. */
    private static final List<String> SECTIONS = List.of("KEYS", "TOKENS", "LOGIN", "PASSWORDS", "FEDERATION",
            "CACHE", "DB", "TLS", "LOG", "MANAGEMENT", "DEVICE", "TOKEN_REVIEW");

    /** The Micronaut property a setting's environment variable stands for. */
    static String property(String name) {
        String rest = name.substring("LANYARD_".length());
        for (String section : SECTIONS) {
            // a section may be two words (TOKEN_REVIEW is lanyard.token-review)
            if (rest.startsWith(section + "_")) {
                return "lanyard." + (section.replace('_', '-') + "." + rest.substring(section.length() + 1)
                        .replace('_', '-')).toLowerCase(Locale.ROOT);
            }
        }
        return "lanyard." + rest.replace('_', '-').toLowerCase(Locale.ROOT);
    }

    /** A property name in Micronaut's canonical kebab case: lanyard.keys.prePublish is lanyard.keys.pre-publish. */
    private static String kebab(String property) {
        return property.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The known name fewest edits away. */
    static String closest(String name) {
        return KNOWN.keySet().stream().min(Comparator.comparingInt(known -> distance(name, known))).orElseThrow();
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String printable(String value) {
        String trimmed = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return trimmed.replaceAll("\\p{Cntrl}", "?");
    }
}
