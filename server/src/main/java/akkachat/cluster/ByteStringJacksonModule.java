package akkachat.cluster;

import akka.util.ByteString;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;

import java.io.IOException;

/**
 * Lets an encoded chat line ({@link ByteString}) cross nodes as one CBOR byte string, so a line
 * is encoded to bytes once per line, not once per recipient. Registered in reference.conf under
 * {@code akka.serialization.jackson.jackson-modules}.
 */
public final class ByteStringJacksonModule extends SimpleModule {

  public ByteStringJacksonModule() {
    super("akka-chat-bytestring");
    addSerializer(ByteString.class, new StdScalarSerializer<>(ByteString.class) {
      @Override
      public void serialize(ByteString value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeBinary(value.toArray());
      }
    });
    addDeserializer(ByteString.class, new StdScalarDeserializer<>(ByteString.class) {
      @Override
      public ByteString deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        return ByteString.fromArrayUnsafe(p.getBinaryValue());
      }
    });
  }
}
