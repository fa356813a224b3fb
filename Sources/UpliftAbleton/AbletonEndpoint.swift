/// Where AbletonOSC listens and where its replies come back. AbletonOSC always replies to port
/// 11001 of the sender's host, so only one client can listen at a time.
public struct AbletonEndpoint: Sendable, Equatable {
    /// The host running Live (AbletonOSC listens there on `sendPort`).
    public var liveHost: String
    public var sendPort: UInt16
    /// The address our reply socket binds: 127.0.0.1 unless the producer asks for another interface.
    public var listenHost: String
    public var listenPort: UInt16

    public init(liveHost: String = "127.0.0.1", sendPort: UInt16 = 11000,
                listenHost: String = "127.0.0.1", listenPort: UInt16 = 11001) {
        self.liveHost = liveHost
        self.sendPort = sendPort
        self.listenHost = listenHost
        self.listenPort = listenPort
    }

    public static let standard = AbletonEndpoint()
}
