extension AbletonError {
    /// A stable name for scripts (`{"error": {"kind": …}}` of `uplift ableton … --json`): several
    /// codes share a kind where a caller would act the same way.
    public var kind: String {
        switch code {
        case .liveNotReachable: "live_absent"
        case .portInUse: "port_in_use"
        case .trackNotFound, .deviceNotFound, .parameterNotFound: "not_found"
        case .ambiguousName: "ambiguous"
        case .verificationFailed: "verification_failed"
        case .deviceMissing: "device_missing"
        case .mixBusMissing: "mix_bus_missing"
        case .valueOutOfRange: "out_of_range"
        case .invalidValue: "invalid_value"
        case .noUnitMap: "no_unit_map"
        case .movedByHand: "moved_by_hand"
        case .nothingToUndo: "nothing_to_undo"
        case .nothingToRedo: "nothing_to_redo"
        case .journal: "journal"
        case .timeout: "timeout"
        case .liveError, .droppedAfterBundleError: "live_error"
        case .setChanged: "set_changed"
        case .protocolMismatch: "protocol_mismatch"
        case .encoding, .decoding, .socket: "internal"
        }
    }
}
