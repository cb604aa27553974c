import type { EventBridgeEvent } from 'aws-lambda';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** A local stand-in for a Lambda function: gets the task input, returns the task result, throws to fail. */
export type TaskHandler = (input: unknown) => Promise<unknown>;

export interface LocalStateMachineConfig {
  name: string;
  arn: string;
  /** ASL definition with every `${...}` placeholder already substituted. */
  definition: object;
}

export interface LocalStepFunctionsOptions {
  stateMachines: LocalStateMachineConfig[];
  /** Keyed by the Lambda function ARN as it appears in `Resource` (or in `Parameters.FunctionName`). */
  taskHandlers: Record<string, TaskHandler>;
  /** Every Wait state pauses this long instead of its Seconds/Timestamp. Default 200. */
  waitMs?: number;
  /** Every retrier waits this long before a retry. Default 100. */
  retryIntervalMs?: number;
  /** Receives "Step Functions Execution Status Change" events, like an EventBridge rule target. */
  onStatusChange?: (event: StepFunctionsStatusChangeEvent) => Promise<void>;
  /** JSON file keeping execution records across restarts. */
  persistPath?: string;
  /** Logger for swallowed callback errors. Default console.error. */
  log?: (message: string, error?: unknown) => void;
}

export type HistoryEntryType =
  | 'ExecutionStarted'
  | 'ExecutionRedriven'
  | 'ExecutionSucceeded'
  | 'ExecutionFailed'
  | 'ExecutionAborted'
  | 'ExecutionTimedOut'
  | 'StateEntered'
  | 'StateExited'
  | 'StateFailed'
  | 'StateRetried'
  | 'StateCaught';

export interface ExecutionHistoryEntry {
  type: HistoryEntryType;
  /** Epoch milliseconds. */
  timestamp: number;
  state?: string;
  error?: string;
  cause?: string;
  /** Retry attempt number for StateRetried. */
  attempt?: number;
}

/** What the local runtime keeps per execution (persisted as JSON; dates are epoch milliseconds). */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  /** Execution input as JSON text. */
  input: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  /** Output as JSON text (SUCCEEDED only). */
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: number;
  /** The last top-level state entered and its raw input: the failed state once the execution failed. */
  lastState?: { name: string; input: unknown };
  history: ExecutionHistoryEntry[];
  /** Number of StateEntered events over all runs (including redrives): the billed transitions, roughly. */
  stateTransitions: number;
}

/** `describeExecution` result: the record with Date objects, like the SDK's DescribeExecutionOutput. */
export interface ExecutionDescription
  extends Omit<ExecutionRecord, 'startDate' | 'stopDate' | 'redriveDate' | 'history' | 'lastState'> {
  startDate: Date;
  stopDate?: Date;
  redriveDate?: Date;
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  redriveStatusReason?: string;
  lastState?: { name: string; input: unknown };
  history: ExecutionHistoryEntry[];
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  redriveCount: number;
  redriveDate?: Date;
}

export interface StepFunctionsStatusChangeDetail {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** Epoch milliseconds. */
  startDate: number;
  stopDate: number | null;
  /** JSON text. */
  input: string;
  inputDetails: { included: boolean };
  output: string | null;
  outputDetails: { included: boolean } | null;
  error: string | null;
  cause: string | null;
  stateMachineVersionArn: string | null;
  stateMachineAliasArn: string | null;
  redriveCount: number;
  redriveDate: number | null;
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE' | 'REDRIVE_IN_PROGRESS';
  redriveStatusReason: string | null;
}

export type StepFunctionsStatusChangeEvent = EventBridgeEvent<
  'Step Functions Execution Status Change',
  StepFunctionsStatusChangeDetail
>;
