# Finds a JDK new enough for EdgeQ and exports JAVA_HOME to it. POSIX sh; sourced by mvnw, ./edgeq and .ci/run.
#
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm, then the java on PATH.
# A JDK counts only if it has both bin/java and bin/javac (Maven compiles) and its feature version is at least
# EDGEQ_MIN_JDK (default 25: the build targets release 25). On success JAVA_HOME is exported and the function
# returns 0; otherwise it prints what to install on stderr and returns 2, leaving JAVA_HOME untouched.

EDGEQ_MIN_JDK="${EDGEQ_MIN_JDK:-25}"

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing if it is not a usable JDK.
edgeq_jdk_version() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  _v=""
  if [ -r "$1/release" ]; then
    _v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" 2>/dev/null | head -n 1)
  fi
  if [ -z "$_v" ]; then
    _v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  case "$_v" in
    1.*) _v=${_v#1.} ;;
  esac
  _v=${_v%%[!0-9]*}
  printf '%s\n' "$_v"
}

edgeq_find_jdk() {
  _min="${1:-$EDGEQ_MIN_JDK}"
  if [ -n "${JAVA_HOME:-}" ]; then
    _jv=$(edgeq_jdk_version "$JAVA_HOME")
    if [ -n "$_jv" ] && [ "$_jv" -ge "$_min" ]; then
      export JAVA_HOME
      return 0
    fi
  fi
  _best=""
  _bestv=0
  for _cand in /usr/lib/jvm/*; do
    [ -d "$_cand" ] || continue
    _jv=$(edgeq_jdk_version "$_cand")
    if [ -n "$_jv" ] && [ "$_jv" -ge "$_min" ] && [ "$_jv" -gt "$_bestv" ]; then
      _best="$_cand"
      _bestv="$_jv"
    fi
  done
  if [ -z "$_best" ] && command -v javac >/dev/null 2>&1; then
    _cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    _jv=$(edgeq_jdk_version "$_cand")
    if [ -n "$_jv" ] && [ "$_jv" -ge "$_min" ]; then
      _best="$_cand"
    fi
  fi
  if [ -n "$_best" ]; then
    JAVA_HOME="$_best"
    export JAVA_HOME
    return 0
  fi
  {
    echo "edgeq: no JDK >= $_min found (looked at JAVA_HOME=${JAVA_HOME:-<unset>}, /usr/lib/jvm/*, and java on PATH)."
    echo "Install one, e.g. Eclipse Temurin $_min:  sudo apt-get install temurin-$_min-jdk  (Adoptium apt repository)"
    echo "or download it from https://adoptium.net/, then set JAVA_HOME to its directory."
  } >&2
  return 2
}
