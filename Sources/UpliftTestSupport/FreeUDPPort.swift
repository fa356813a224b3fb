import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A UDP port on 127.0.0.1 no other test of this process got, and free right now. Handed out
/// from a counter below the kernel's ephemeral range (32768+), so a port given to one test is
/// never given by the kernel to another's socket.
public func freeUDPPort() throws -> UInt16 {
    while true {
        let port = UInt16(portCounter.add(1, ordering: .relaxed).newValue)
        guard port < 32000 else { throw FakeAbletonOSCError("ran out of test ports") }
        let fd = socket(AF_INET, fakeDatagramSocketType, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if rc == 0 { return port }
    }
}


private let portCounter = Atomic<Int>(20000 + Int(getpid() % 300) * 30)
