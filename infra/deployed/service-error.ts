// deploy-faithful runner: an AWS service's error as its JSON protocols send it (status, `__type`, message), which the
// SDK turns into an exception of that name.
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** what the service puts before the code in `__type` (DynamoDB: `com.amazonaws.dynamodb.v20120810#`) */
    readonly typePrefix = '',
  ) {
    super(message);
  }
}
