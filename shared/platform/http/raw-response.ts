/** A success body that is not JSON (an HTML page, a script): sent as is, with its own headers. */
export class RawResponse {
  constructor(
    readonly body: string,
    readonly headers: Record<string, string>,
    readonly isBase64Encoded = false,
  ) {}
}
