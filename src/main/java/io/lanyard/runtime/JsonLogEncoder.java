package io.lanyard.runtime;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.time.Instant;

/**
 * Logback's JSON lines with the time as ISO-8601 UTC ({@code "timestamp":"2026-12-01T19:16:05.123Z"})
 * instead of epoch milliseconds, which log pipelines and people read without converting. Logback's
 * encoder offers this hook for extra fields; everything else is its own.
 */
public class JsonLogEncoder extends JsonEncoder {

    public JsonLogEncoder() {
        setWithTimestamp(false);
    }

    @Override
    protected void appendCustomFields(StringBuilder json, ILoggingEvent event) {
        char last = json.charAt(json.length() - 1);
        if (last != '{' && last != ',') {
            json.append(',');
        }
        json.append("\"timestamp\":\"").append(Instant.ofEpochMilli(event.getTimeStamp())).append('"');
    }
}
