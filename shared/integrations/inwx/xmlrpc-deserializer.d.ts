// The response parser of the `xmlrpc` package (a CommonJS module), which @types/xmlrpc does not declare.
declare module 'xmlrpc/lib/deserializer.js' {
  /** A fault response: `message` is `XML-RPC fault: <faultString>`. */
  interface XmlRpcFault extends Error {
    code?: unknown;
    faultCode?: unknown;
    faultString?: unknown;
  }

  class Deserializer {
    constructor(encoding?: string);
    deserializeMethodResponse(
      stream: NodeJS.ReadableStream,
      callback: (err: XmlRpcFault | Error | null | undefined, value?: unknown) => void,
    ): void;
    deserializeMethodCall(
      stream: NodeJS.ReadableStream,
      callback: (err: Error | null | undefined, method?: string, params?: unknown[]) => void,
    ): void;
  }

  export = Deserializer;
}
