import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A UDP socket we own, bound to one address (127.0.0.1 unless asked), so we never listen on
/// interfaces the producer did not choose. liblo only encodes and decodes.
final class UDPSocket: @unchecked Sendable {
    // The descriptor is set once in init and closed once in close(); sends and receives may run
    // on different threads, which the kernel allows for a datagram socket.
    let descriptor: Int32
    let boundPort: UInt16

    init(bindHost: String, port: UInt16, receiveBufferBytes: Int32 = 4 << 20) throws(AbletonError) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { throw AbletonError(.socket, "could not create a UDP socket", cause: String(cString: strerror(errno))) }
        var size = receiveBufferBytes
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = try UDPSocket.makeAddress(host: bindHost, port: port)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            let err = errno
            closeDescriptor(fd)
            if err == EADDRINUSE {
                throw AbletonError(.portInUse,
                    "UDP port \(port) on \(bindHost) is already taken, probably by another OSC client (only one program can listen to AbletonOSC); quit it, or choose another port with --listen-port",
                    cause: String(cString: strerror(err)))
            }
            throw AbletonError(.socket, "could not bind UDP \(bindHost):\(port)", cause: String(cString: strerror(err)))
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        boundPort = UInt16(bigEndian: bound.sin_port)
    }

    static func makeAddress(host: String, port: UInt16) throws(AbletonError) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        let resolved = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, resolved, &address.sin_addr) == 1 else {
            throw AbletonError(.socket, "'\(host)' is not an IPv4 address; give one such as 127.0.0.1")
        }
        return address
    }

    func send(_ bytes: [UInt8], to address: sockaddr_in) throws(AbletonError) {
        var target = address
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if sent < 0 {
            throw AbletonError(.socket, "could not send an OSC datagram", cause: String(cString: strerror(errno)))
        }
    }

    /// Waits up to `timeoutMS` for one datagram; nil on timeout. Returns the sender's IPv4 address and port.
    func receive(timeoutMS: Int32) -> (bytes: [UInt8], from: sockaddr_in)? {
        var pfd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, timeoutMS) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(descriptor, raw.baseAddress, raw.count, 0, $0, &length)
                }
            }
        }
        guard count >= 0 else { return nil }
        return (Array(buffer[0..<count]), from)
    }

    func close() { closeDescriptor(descriptor) }
}

private func closeDescriptor(_ fd: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #else
    _ = Darwin.close(fd)
    #endif
}
