package akkachat;

/**
 * Marks the messages that cross nodes; they are serialized with Jackson CBOR (bound in
 * reference.conf). Java serialization stays off.
 */
public interface CborSerializable {}
