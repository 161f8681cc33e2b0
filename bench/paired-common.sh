# Sourced by bench/*-paired.sh: builds the benchmark jar with a JDK >= 25 and prints the header every paired result
# file starts with. Usage: . bench/paired-common.sh; paired_build; paired_header "QUESTION" "$@"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. .mvn/find-jdk.sh
edgeq_find_jdk 25 || exit 2
export PATH="$JAVA_HOME/bin:$PATH"
results="${BENCH_RESULTS_DIR:-bench/results}"
mkdir -p "$results"

paired_build() {
    ./mvnw -q -B -pl bench -am package -DskipTests
}

# The question, the command line, and the machine's state before the run.
paired_header() {
    local question="$1" script="$2"
    shift 2
    echo "question: $question ($script $*)"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "cpu: $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'), $(nproc) cores online"
    echo "load_average_before: $(cut -d' ' -f1-3 /proc/loadavg)"
}
