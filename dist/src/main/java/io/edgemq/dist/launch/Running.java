package io.edgemq.dist.launch;

/** A role's health flag: up from start until its stop begins. */
final class Running {
  private volatile boolean running = true;

  boolean isRunning() {
    return running;
  }

  void stop() {
    running = false;
  }
}
