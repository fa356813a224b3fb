/// The decoding of AbletonOSC's replies, public for the fuzz harness and hostile-input tests:
/// whatever bytes arrive on the socket become messages or an `AbletonError`, never a crash.
public enum OSCReplyDecoder {
    /// The messages in one UDP datagram (a message or a bundle, nested bundles flattened).
    public static func decode(_ bytes: [UInt8]) throws(AbletonError) -> [OSCMessage] {
        try OSCCodec.decode(bytes)
    }
}
