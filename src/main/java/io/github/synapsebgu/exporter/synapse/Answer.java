package io.github.synapsebgu.exporter.synapse;

/**
 * What came back for one request, read up to its cap: the status line, the headers the client looks
 * at, and the body (at most one byte past the cap, so an oversized body is recognised).
 *
 * @param contentType null when absent
 * @param location null when absent
 */
record Answer(int status, String contentType, String location, byte[] body) {}
