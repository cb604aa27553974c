/** Error names of the Step Functions API that the local runtime raises (the endpoint sends them as `__type`). */
export type StepFunctionsErrorName =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'ExecutionNotRedrivable'
  | 'StateMachineDoesNotExist'
  | 'InvalidArn'
  | 'InvalidName'
  | 'InvalidExecutionInput'
  | 'ValidationException'
  | 'InvalidToken'
  | 'InvalidOutput'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut';

/** An API-level error of the local Step Functions service; `name` is the AWS error code. */
export class StepFunctionsApiError extends Error {
  constructor(
    override readonly name: StepFunctionsErrorName,
    message: string,
  ) {
    super(message);
  }
}
