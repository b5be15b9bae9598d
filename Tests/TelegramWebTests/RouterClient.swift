import Hummingbird
import Logging
import NIOCore
import NIOEmbedded

/// Sends requests straight to the app's router, in process, as a browser's would arrive: no socket, no
/// HTTP client. It stands in for HummingbirdTesting's router mode, which costs every build an HTTP
/// client and a TLS stack these tests never use.
struct RouterClient: Sendable {
    /// What the router answered.
    struct Response: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: ByteBuffer
    }

    private let responder: RouterResponder<BasicRequestContext>

    init(router: Router<BasicRequestContext>) {
        self.responder = router.buildResponder()
    }

    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?)
        async throws -> Response
    {
        var headers = headers
        if let body { headers[.contentLength] = String(body.readableBytes) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: uri, headerFields: headers),
            body: RequestBody(buffer: body ?? ByteBuffer())
        )
        let context = BasicRequestContext(
            source: ApplicationRequestContextSource(channel: NIOAsyncTestingChannel(), logger: Logger(label: "tests")))
        let response: Hummingbird.Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        let writer = BodyCollector()
        try await response.body.write(writer)
        return Response(status: response.status, headers: response.headers, body: await writer.collected())
    }
}

/// Collects a response's body as the router writes it.
private actor BodyCollector: ResponseBodyWriter {
    private var buffer = ByteBuffer()

    func write(_ part: ByteBuffer) async throws { buffer.writeImmutableBuffer(part) }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}

    func collected() -> ByteBuffer { buffer }
}
