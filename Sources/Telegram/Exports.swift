// One import gives the client, the core's errors and the generated TDLib types.
@_exported import TDLib
@_exported import TDLibAPI
@_exported import TDLibAPIClient

/// The JSON value of raw requests; the same type as TDLibAPI's `TDJSONValue`.
@available(*, deprecated, renamed: "TDJSONValue")
public typealias JSONValue = TDJSONValue
