import Foundation

extension Profile {
    /// The learned similarity metric of the library (schema 2; absent in schema-1 profiles and after
    /// `profile build --no-embedding`): the descriptor's scaler, the network's weights, and one unit
    /// vector per source. Weights and vectors are little-endian float32 in base64, so a profile
    /// stays small and reads back bit for bit.
    public struct Embedding: Codable, Sendable, Equatable {
        public var descriptorVersion: Int
        public var seed: UInt64
        public var inputSize: Int
        public var hiddenSize: Int
        public var outputSize: Int
        public var median: [Double]
        public var scale: [Double]
        public var weights: String
        /// Per source, in `sources` order; `nil` for a source without a descriptor (an old analysis).
        public var vectors: [String?]
        /// Augmented copies the training saw, and its steps.
        public var augmentedCopies: Int
        public var steps: Int
        /// Sub-style clusters recomputed in the embedding (cluster id per source, `sources` order).
        public var clusterOf: [Int?]?
        /// Mean silhouette of those clusters in the embedding (cosine distance).
        public var silhouette: Double?
        /// Agreement (adjusted Rand index) of those clusters with the descriptor-space ones.
        public var agreementARI: Double?

        public init(descriptorVersion: Int, seed: UInt64, inputSize: Int, hiddenSize: Int, outputSize: Int,
                    median: [Double], scale: [Double], weights: String, vectors: [String?], augmentedCopies: Int, steps: Int) {
            self.descriptorVersion = descriptorVersion; self.seed = seed; self.inputSize = inputSize
            self.hiddenSize = hiddenSize; self.outputSize = outputSize; self.median = median; self.scale = scale
            self.weights = weights; self.vectors = vectors; self.augmentedCopies = augmentedCopies; self.steps = steps
        }

        enum CodingKeys: String, CodingKey {
            case seed, median, scale, weights, vectors, steps, silhouette
            case descriptorVersion = "descriptor_version", inputSize = "input_size", hiddenSize = "hidden_size"
            case outputSize = "output_size", augmentedCopies = "augmented_copies", clusterOf = "cluster_of"
            case agreementARI = "agreement_ari"
        }

        /// Float32 little-endian ↔ base64.
        public static func encode(_ values: [Float]) -> String {
            var bytes = [UInt8]()
            bytes.reserveCapacity(values.count * 4)
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
            return Data(bytes).base64EncodedString()
        }

        public static func decode(_ text: String) -> [Float]? {
            guard let data = Data(base64Encoded: text), data.count % 4 == 0 else { return nil }
            return stride(from: 0, to: data.count, by: 4).map { i in
                let b = data[data.startIndex + i..<data.startIndex + i + 4]
                let bits = b.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
                return Float(bitPattern: bits)
            }
        }
    }
}
