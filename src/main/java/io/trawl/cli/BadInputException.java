package io.trawl.cli;

/** Input the user must fix (a missing file, a bad flag value): exit code 2, message as given. */
final class BadInputException extends RuntimeException {
  BadInputException(String message) {
    super(message);
  }
}
