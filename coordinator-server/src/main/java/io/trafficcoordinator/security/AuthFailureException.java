package io.trafficcoordinator.security;

/** Carries an {@link AuthFailure} through a failed future. */
public final class AuthFailureException extends RuntimeException {

  private final AuthFailure failure;

  public AuthFailureException(AuthFailure failure) {
    super(failure.detail(), null, false, false);
    this.failure = failure;
  }

  public AuthFailure failure() {
    return failure;
  }
}
