package io.edgemq.gateway.auth;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A password file or ACL file that cannot be used; the message names the file, the line (when one
 * line is at fault) and the reason, as {@code <file>:<line>: <reason>}.
 */
public final class AuthFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;

  /**
   * @param file the file at fault
   * @param line the 1-based line at fault, or 0 if the file as a whole is at fault
   * @param reason what is wrong, for an operator
   */
  public AuthFileException(Path file, int line, String reason) {
    super(file + (line > 0 ? ":" + line : "") + ": " + reason);
    this.file = file;
    this.line = line;
  }

  /**
   * @return the file at fault
   */
  public Path file() {
    return file;
  }

  /**
   * @return the 1-based line at fault, or 0 if the file as a whole is at fault
   */
  public int line() {
    return line;
  }
}
