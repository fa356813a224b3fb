import Foundation
import UpliftModel

/// What a profile keeps of the learned metric: the descriptor's scaler and the trained network.
/// `embed` maps an analysis to a unit vector; cosine distance between two is "how different they sound".
public struct SimilarityModel: Sendable, Equatable {
    public var descriptorVersion: Int
    public var scaler: RobustScaler
    public var network: EmbeddingNetwork
    public var seed: UInt64

    public init(descriptorVersion: Int = Descriptor.version, scaler: RobustScaler, network: EmbeddingNetwork, seed: UInt64) {
        self.descriptorVersion = descriptorVersion; self.scaler = scaler; self.network = network; self.seed = seed
    }

    public func embed(descriptor: [Double]) -> [Float] { network.embed(scaler.transform(descriptor)) }

    public func embed(_ analysis: TrackAnalysis) -> [Float]? { Descriptor.make(analysis).map { embed(descriptor: $0) } }

    /// Trains on standardised samples. `rows` are raw descriptors, `classIDs` their classes (tracks or labels),
    /// `instanceIDs` the recording each is a view of (a track and its augmented copies share one);
    /// the scaler is fitted on `scalerRows` (the library's originals, not its augmented copies).
    public static func train(rows: [[Double]], classIDs: [Int], instanceIDs: [Int]? = nil, scalerRows: [[Double]],
                             options: TripletTrainer.Options,
                             progress: (TripletTrainer.Progress) -> Void = { _ in }) throws -> SimilarityModel {
        let scaler = RobustScaler(fitting: scalerRows)
        let samples = rows.indices.map {
            TrainingSample(input: scaler.transform(rows[$0]), classID: classIDs[$0], instance: instanceIDs?[$0])
        }
        let network = try TripletTrainer(options: options).train(samples, progress: progress)
        return SimilarityModel(scaler: scaler, network: network, seed: options.seed)
    }
}
