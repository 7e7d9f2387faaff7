package io.github.synapsebgu.exporter.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.github.synapsebgu.exporter.config.LogSettings;

/**
 * Logback's configuration before the flags are read: logfmt at info. Found through the service
 * loader, which is faster at startup than logback's search for XML files and keeps its status
 * chatter off stderr.
 */
public final class DefaultLogConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LoggingSetup.configure(context, LogSettings.defaults());
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
