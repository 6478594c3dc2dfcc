#!/usr/bin/env bash
# Runs the JMH benchmarks of coordinator-bench. Arguments go to JMH, for example:
#   bench/jmh.sh PickBenchmark -t 2          # two threads picking at once
#   bench/jmh.sh -l                          # list the benchmarks
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests -pl coordinator-bench -am install
mvn -q -B -pl coordinator-bench dependency:build-classpath -Dmdep.outputFile=target/jmh-classpath.txt
classpath=$(cat coordinator-bench/target/jmh-classpath.txt)
exec java -cp "coordinator-bench/target/classes:${classpath}" org.openjdk.jmh.Main "$@"
