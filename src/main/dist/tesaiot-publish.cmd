@echo off
rem tesaiot-publish.cmd: runs tesaiot-publish.jar (beside this file) on Windows with the JVM flags the shell launcher
rem uses for a command-line tool: the quick compiler only, the serial collector, a heap sized for one device, and the
rem JVM's own warnings on stderr (stdout carries payloads and JSON). JAVA_OPTS is added after these flags, so a flag
rem given there wins (e.g. set JAVA_OPTS=-Xmx1g for a large fleet); JAVA_HOME selects the JVM, else java on the PATH.
setlocal
set "JAR=%~dp0tesaiot-publish.jar"
if not exist "%JAR%" (
  echo tesaiot-publish: %JAR% not found: keep this file beside the jar 1>&2
  exit /b 2
)
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m -Xshare:auto -Xlog:disable -Xlog:all=warning:stderr %JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
