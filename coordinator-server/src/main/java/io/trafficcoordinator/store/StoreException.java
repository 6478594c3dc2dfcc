package io.trafficcoordinator.store;

/** The store could not be read or written. */
public final class StoreException extends Exception {

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
