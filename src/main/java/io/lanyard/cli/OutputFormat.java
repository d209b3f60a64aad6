package io.lanyard.cli;

enum OutputFormat {
    table, json
}
