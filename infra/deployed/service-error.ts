// deploy-faithful runner: an AWS service's error as its JSON protocols send it (status, `__type`, message), which the
// SDK turns into an exception of that name.
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
