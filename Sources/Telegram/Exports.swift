// One import gives the client, the core's errors and the generated TDLib types.
@_exported import TDLib
@_exported import TDLibAPI
@_exported import TDLibAPIClient
