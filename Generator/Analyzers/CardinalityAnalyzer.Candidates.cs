using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricsGen.Generator.Analyzers;

public sealed partial class CardinalityAnalyzer
{
    /// <summary>
    /// The names a metric member with labels can have in this compilation: the methods with parameters of attributed
    /// partial classes declared in source, and of [GatewayMetric] classes in referenced assemblies that reference the
    /// MetricsGen runtime. A superset (the bound call decides); it only spares the binding of calls that cannot be
    /// metric calls. Reading it walks type declarations, never method bodies.
    /// </summary>
    private static HashSet<string> CandidateNames(Compilation compilation, INamedTypeSymbol gateway)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (tree.GetRoot() is CompilationUnitSyntax unit)
            {
                AddFromSyntax(unit.Members, names);
            }
        }

        IAssemblySymbol runtime = gateway.ContainingAssembly;
        foreach (MetadataReference reference in compilation.References)
        {
            if (compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly
                && !SymbolEqualityComparer.Default.Equals(assembly, runtime)
                && assembly.Modules.Any(module => module.ReferencedAssemblies.Any(identity => identity.Name == runtime.Identity.Name)))
            {
                AddFromNamespace(assembly.GlobalNamespace, gateway, names);
            }
        }

        return names;
    }

    private static void AddFromSyntax(SyntaxList<MemberDeclarationSyntax> members, HashSet<string> names)
    {
        foreach (MemberDeclarationSyntax member in members)
        {
            switch (member)
            {
                case BaseNamespaceDeclarationSyntax namespaceDeclaration:
                    AddFromSyntax(namespaceDeclaration.Members, names);
                    break;
                case TypeDeclarationSyntax type:
                    // Attribute names are not resolved here (an alias could rename [GatewayMetric]); every attributed partial class counts.
                    if (type is ClassDeclarationSyntax && type.AttributeLists.Count > 0 && type.Modifiers.Any(SyntaxKind.PartialKeyword))
                    {
                        foreach (MemberDeclarationSyntax classMember in type.Members)
                        {
                            if (classMember is MethodDeclarationSyntax { ParameterList.Parameters.Count: > 0 } method)
                            {
                                names.Add(method.Identifier.ValueText);
                            }
                        }
                    }

                    AddFromSyntax(type.Members, names);
                    break;
            }
        }
    }

    private static void AddFromNamespace(INamespaceSymbol namespaceSymbol, INamedTypeSymbol gateway, HashSet<string> names)
    {
        foreach (INamespaceOrTypeSymbol member in namespaceSymbol.GetMembers())
        {
            if (member is INamespaceSymbol inner)
            {
                AddFromNamespace(inner, gateway, names);
            }
            else if (member is INamedTypeSymbol type)
            {
                AddFromType(type, gateway, names);
            }
        }
    }

    private static void AddFromType(INamedTypeSymbol type, INamedTypeSymbol gateway, HashSet<string> names)
    {
        if (type.GetAttributes().Any(attribute => SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, gateway)))
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IMethodSymbol { Parameters.Length: > 0 })
                {
                    names.Add(member.Name);
                }
            }
        }

        foreach (INamedTypeSymbol nested in type.GetTypeMembers())
        {
            AddFromType(nested, gateway, names);
        }
    }
}
