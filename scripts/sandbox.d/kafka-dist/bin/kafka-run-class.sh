#!/usr/bin/env bash
# kafka-run-class.sh — pinctl sandbox rebuild of Apache Kafka 2.8.1 (see SANDBOX-REBUILD.txt).
# Same contract as Apache Kafka's script:
#   kafka-run-class.sh [-daemon] [-name servicename] [-loggc] classname [opts]
# Classpath: $CLASSPATH first (that is how e.g. the aws-msk-iam-auth jar can be
# added), then the files of libs/ but test and doc jars and signatures, as upstream
# (INCLUDE_TEST_JARS=true takes them all). Honours JAVA_HOME, KAFKA_HEAP_OPTS,
# KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_GC_LOG_OPTS, KAFKA_OPTS, KAFKA_LOG4J_OPTS,
# KAFKA_JMX_OPTS/JMX_PORT, LOG_DIR, KAFKA_DEBUG.

if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] [-name servicename] [-loggc] classname [opts]"
  exit 1
fi

base_dir=$(cd "$(dirname "$0")/.." && pwd)

# Which files of libs/ go on the class path, decided as Apache's script decides it: every file but
# test and doc jars and signatures (-test, -test-sources, -src, -scaladoc, -javadoc, .asc), each
# file tested with egrep in a command substitution (a subshell and a grep a file: ~2.5 ms each,
# kept because every tool run on a real host pays it). INCLUDE_TEST_JARS=true, Apache's switch,
# takes every file without the test.
INCLUDE_TEST_JARS=${INCLUDE_TEST_JARS:-false}
left_out='(-(test|test-sources|src|scaladoc|javadoc)\.jar|jar.asc)$'
on_class_path() {
  [ "$INCLUDE_TEST_JARS" = true ] && return 0
  [ -z "$(echo "$1" | egrep "$left_out")" ]
}

shopt -s nullglob
for file in "$base_dir"/libs/*; do
  on_class_path "$file" || continue
  if [ -z "$CLASSPATH" ]; then
    CLASSPATH="$file"
  else
    CLASSPATH="$CLASSPATH":"$file"
  fi
done
shopt -u nullglob

# JMX settings, as upstream: unless KAFKA_JMX_OPTS says otherwise, every JVM (a one-shot tool too) starts
# the local management agent (com.sun.management.jmxremote: a third of a second at start-up on the
# sandbox host); JMX_PORT adds a remote port.
if [ -z "$KAFKA_JMX_OPTS" ]; then
  KAFKA_JMX_OPTS="-Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false"
fi
if [ -n "$JMX_PORT" ]; then
  KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.port=$JMX_PORT"
fi

# Log directory
if [ -z "$LOG_DIR" ]; then
  LOG_DIR="$base_dir/logs"
fi

# Log4j settings: tools log WARN+ to stderr unless told otherwise
if [ -z "$KAFKA_LOG4J_OPTS" ]; then
  KAFKA_LOG4J_OPTS="-Dlog4j.configuration=file:$base_dir/config/tools-log4j.properties"
fi
KAFKA_LOG4J_OPTS="-Dkafka.logs.dir=$LOG_DIR $KAFKA_LOG4J_OPTS"

# Generic JVM settings
if [ -z "$KAFKA_OPTS" ]; then
  KAFKA_OPTS=""
fi

# Debug (remote JDWP), as upstream
if [ -n "$KAFKA_DEBUG" ]; then
  JAVA_DEBUG_PORT=${JAVA_DEBUG_PORT:-5005}
  DEFAULT_JAVA_DEBUG_OPTS="-agentlib:jdwp=transport=dt_socket,server=y,suspend=${DEBUG_SUSPEND_FLAG:-n},address=$JAVA_DEBUG_PORT"
  KAFKA_OPTS="${JAVA_DEBUG_OPTS:-$DEFAULT_JAVA_DEBUG_OPTS} $KAFKA_OPTS"
fi

# Which java to use
if [ -z "$JAVA_HOME" ]; then
  JAVA="java"
else
  JAVA="$JAVA_HOME/bin/java"
fi

# Memory options
if [ -z "$KAFKA_HEAP_OPTS" ]; then
  KAFKA_HEAP_OPTS="-Xmx256M"
fi

# JVM performance options
if [ -z "$KAFKA_JVM_PERFORMANCE_OPTS" ]; then
  KAFKA_JVM_PERFORMANCE_OPTS="-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true"
fi

DAEMON_MODE="false"
DAEMON_NAME=""
GC_LOG_ENABLED="false"
while [ $# -gt 0 ]; do
  COMMAND=$1
  case $COMMAND in
    -name)
      DAEMON_NAME=$2
      CONSOLE_OUTPUT_FILE=$LOG_DIR/$DAEMON_NAME.out
      shift 2
      ;;
    -loggc)
      if [ -z "$KAFKA_GC_LOG_OPTS" ]; then
        GC_LOG_ENABLED="true"
      fi
      shift
      ;;
    -daemon)
      DAEMON_MODE="true"
      shift
      ;;
    *)
      break
      ;;
  esac
done

# GC logging (unified logging on Java 9+, the old flags on Java 8)
if [ "x$GC_LOG_ENABLED" = "xtrue" ] && [ -n "$DAEMON_NAME" ]; then
  GC_LOG_FILE_NAME=$DAEMON_NAME-gc.log
  JAVA_MAJOR_VERSION=$("$JAVA" -version 2>&1 | sed -E -n 's/.* version "([0-9]*).*$/\1/p')
  if [[ "$JAVA_MAJOR_VERSION" -ge "9" ]]; then
    KAFKA_GC_LOG_OPTS="-Xlog:gc*:file=$LOG_DIR/$GC_LOG_FILE_NAME:time,tags:filecount=10,filesize=100M"
  else
    KAFKA_GC_LOG_OPTS="-Xloggc:$LOG_DIR/$GC_LOG_FILE_NAME -verbose:gc -XX:+PrintGCDetails -XX:+PrintGCDateStamps -XX:+PrintGCTimeStamps -XX:+UseGCLogFileRotation -XX:NumberOfGCLogFiles=10 -XX:GCLogFileSize=100M"
  fi
fi

# Create the log directory only when something is going to write there
if [ "x$DAEMON_MODE" = "xtrue" ] || [ -n "$KAFKA_GC_LOG_OPTS" ] || [ -n "$DAEMON_NAME" ]; then
  mkdir -p "$LOG_DIR" || exit 1
fi

# Launch mode (word splitting of the *_OPTS variables is intended, as upstream)
if [ "x$DAEMON_MODE" = "xtrue" ]; then
  nohup "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_GC_LOG_OPTS $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS -cp "$CLASSPATH" $KAFKA_OPTS "$@" > "${CONSOLE_OUTPUT_FILE:-$LOG_DIR/kafka.out}" 2>&1 < /dev/null &
else
  exec "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_GC_LOG_OPTS $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS -cp "$CLASSPATH" $KAFKA_OPTS "$@"
fi
