#!/bin/sh
# Makes the class-data archive that deploy/jvm.options points the JVM at, for the JVM that runs this
# script and the jar at exactly the path the exporter will be started from (the JVM checks both).
# Run by `mvn package` (target/) and by the Docker build (the image's own JRE).
#
# Usage: deploy/cds-archive.sh JVM_OPTIONS JAR ARCHIVE     (JAVA=/path/to/java to pick the JVM)
#
# Two steps: a training run of the jar lists the classes a start loads (the daemon against a
# homeserver on loopback, every endpoint scraped), then a static archive of them is dumped. Static,
# not -XX:ArchiveClassesAtExit: JDK 17 stores picocli's Java 5 classes only in a static archive,
# and parsing and verifying them at every start was a third of the time to the first scrape.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 JVM_OPTIONS JAR ARCHIVE" >&2; exit 2; }
options=$1 jar=$2 archive=$3
java=${JAVA:-java}
list="$archive.classlist"
mkdir -p "$(dirname "$archive")"
rm -f "$archive" "$list"
# -Xshare:off: an archive from an earlier build must not hide classes from the list.
"$java" "@$options" -Xshare:off -XX:DumpLoadedClassList="$list" \
  -cp "$jar" io.github.synapsebgu.exporter.cds.TrainingRun
# Errors only: CDS warns about the few classes it cannot store (dynamic proxies, JFR events).
"$java" "@$options" -Xlog:disable -Xlog:all=error:stderr \
  -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$archive" -cp "$jar"
rm -f "$list"
